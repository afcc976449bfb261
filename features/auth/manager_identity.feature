@auth
Feature: The manager tells clients what it is
  Before anything else, a client learns which API version the manager speaks and whether it
  is healthy. A client that speaks a version the manager does not know is turned away.

  @smoke
  Scenario: The manager reports the API version it speaks
    When I ask the manager which API version it speaks
    Then it speaks API version "v9.20250722"
    And it names its release

  @smoke
  Scenario: The manager reports that it is healthy
    When I check the manager's health
    Then the manager reports that it is alive and ready
    And its health report names the same release as its version

  Scenario: A client speaking an unknown API version is turned away
    When I try to check my credentials announcing the API version "v9.20990101"
    Then the call is refused as speaking an unsupported API version
