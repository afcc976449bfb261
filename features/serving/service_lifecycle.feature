@serving
Feature: Finding and removing model services
  A service's owner lists her services and deletes those she no longer needs: a deleted
  service leaves no replica behind and its endpoint stops answering. A project that still
  serves a model cannot be purged.

  Scenario: Deleting a service takes its replicas and closes its endpoint
    Given I have a model folder holding the echo model
    And I serve the model publicly with 2 replicas
    When I delete the service
    Then the service is gone with all its replicas
    And its endpoint refuses connections

  Scenario: Someone who serves nothing lists no services
    Given Alice, a user in a new project
    When she lists her services
    Then she has no services

  Scenario Outline: A service that does not exist is unknown (<action>)
    When I try to <action> a service that does not exist
    Then the call is refused as unknown

    Examples:
      | action   |
      | look at  |
      | scale    |
      | delete   |

  @admin
  Scenario: A project cannot be purged while it serves a model
    Given a domain
    And a project in the domain
    And someone serves the echo model in the project
    When I try to purge the project
    Then the call is refused because it is still in use
