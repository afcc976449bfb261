@admin
Feature: Scaling groups open to a project
  Agents are grouped into scaling groups; a project's sessions run in the scaling groups that its
  domain, the project itself or the keypair are allowed to use.

  Scenario: The default project may use the default scaling group
    When I list the scaling groups open to the "default" project
    Then the scaling group "default" is among them
