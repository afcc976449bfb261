@admin
Feature: Managing projects
  Projects (the manager's "groups") gather users inside a domain. Superadmins and the domain's
  own admins create them, manage their members, and purge them once they are empty.

  Background:
    Given a domain

  @smoke
  Scenario: A superadmin creates a project in a domain
    When I create a project in the domain
    Then the project is listed among the domain's projects
    And the project is a general project

  Scenario: A project's description can be changed
    Given a project in the domain
    When I change the project's description to "Protein folding"
    Then the project's description reads "Protein folding"

  Scenario: A user can be added to a project
    Given a project in the domain
    And Bob, a user of the domain
    When I add Bob to the project
    Then Bob is a member of the project

  Scenario: A user can be removed from a project
    Given a project in the domain
    And Bob, a user of the domain in that project
    When I remove Bob from the project
    Then Bob is not a member of the project

  Scenario: Deleting a project deactivates it
    Given a project in the domain
    When I delete the project
    Then the project is inactive

  Scenario: An empty project can be purged
    Given a project in the domain
    When I purge the project
    Then the project no longer exists

  Scenario: A domain admin creates projects in their own domain
    Given Dana, an admin of the domain
    When Dana creates a project in the domain
    Then the project is listed among the domain's projects

  Scenario: A domain admin cannot create projects in another domain
    Given Dana, an admin of another domain
    When Dana tries to create a project in the domain
    Then the call is refused as not permitted

  @sessions
  Scenario: A project cannot be purged while a session runs in it
    Given a project in the domain
    And someone runs a "python" session in the project
    When I try to purge the project
    Then the call is refused because it is still in use

  @vfolders @sessions
  Scenario: A project cannot be purged while a session mounts one of its folders
    Given a project in the domain
    And Dana, an admin of the domain
    And Dana has a project folder in the project with the "rw" permission
    And someone runs a "python" session in the project with the project folder mounted
    When I try to purge the project
    Then the call is refused because it is still in use

  Scenario: A member of several projects can leave one and stay in the other
    Given two projects in the domain
    And Bob, a user of the domain in both projects
    When I remove Bob from the first project
    Then Bob is not a member of the first project
    And Bob is a member of the second project
