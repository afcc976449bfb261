@sessions
Feature: Batch sessions
  A batch session runs its startup command and ends on its own, reporting whether the command
  succeeded, failed, or ran out of time.

  Background:
    Given Alice, a user in a new project

  Scenario Outline: A batch session ends as its command does (<reason>)
    When Alice runs the batch command "<command>" in a "python" session
    Then the session ends as terminated because "<reason>"

    Examples:
      | command                            | reason        |
      | python3 -c 'print(42)'             | task-finished |
      | no-such-command-in-this-image      | task-failed   |

  Scenario: A batch session's output lands in its container log
    When Alice runs the batch command "echo hello from the batch" in a "python" session
    Then the session ends as terminated because "task-finished"
    And the session's log mentions "hello from the batch"

  @slow
  Scenario: A batch session that outlives its timeout is stopped
    When Alice runs the batch command "sleep 30" in a "python" session with a 1-second timeout
    Then the session ends as terminated because "task-timeout"

  Scenario Outline: A batch job that exits with <code> reports that code and the result <result>
    When Alice runs the batch command "exit <code>" in a "python" session
    Then the batch job exits with code <code>
    And the batch job's result is <result>

    Examples:
      | code | result  |
      | 0    | success |
      | 3    | failure |
