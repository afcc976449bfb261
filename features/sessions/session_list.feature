@sessions
Feature: The session list, by status
  A user lists her sessions by status: those running now, those that have ended. She sees her own
  sessions only.

  Background:
    Given Alice, a user in a new project

  Scenario Outline: Her <which> session is listed among her <status> sessions
    Given Alice has two running "python" sessions
    And Alice destroys her first session
    And Alice's first session is terminated
    When she lists her <status> sessions
    Then the session list holds only her <which> session

    Examples:
      | status     | which  |
      | running    | second |
      | terminated | first  |

  Scenario: Other users' sessions are not in her list
    Given Bob, a user in a new project
    And Bob has a running "python" session
    And Alice has a running "python" session
    When Alice lists her running sessions
    Then the session list holds only her first session
    And the session list does not hold Bob's session
