@sessions
Feature: Sessions that depend on others
  A session may name sessions it depends on; the manager keeps it waiting until they have all
  finished successfully.

  Background:
    Given Alice, a user in a new project

  @slow
  Scenario: A dependent session waits for its dependency to succeed
    When Alice runs the batch command "sleep 1" in a "python" session
    And she starts a batch "python" session running "echo after" that depends on it
    Then the dependent session lists the first one as its dependency
    And the dependent session was scheduled only after the first one finished

  Scenario: Destroying a session can take the sessions that depend on it along
    Given Alice has a running "python" session
    And she starts a batch "python" session running "echo after" that depends on it
    When she destroys her first session together with the sessions that depend on it
    Then the session ends as cancelled
    And the first session ends as terminated
