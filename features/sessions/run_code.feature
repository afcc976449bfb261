@sessions
Feature: Running code in an interactive session
  A user runs snippets in a running session and reads what they print, how they exit, and what
  they left behind for the next snippet.

  Background:
    Given Alice, a user in a new project
    And Alice has a running "python" session

  @smoke
  Scenario: Printed output comes back to the user
    When she runs the snippet "print(6*7)"
    Then the run succeeds
    And the output reads "42"

  Scenario: State is kept between runs
    When she runs the snippet "x = 21"
    And she runs the snippet "print(x * 2)"
    Then the output reads "42"

  Scenario Outline: A program's exit code <code> is reported
    When she runs the snippet "import sys; sys.exit(<code>)"
    Then the run fails with exit code <code>

    Examples:
      | code |
      | 2    |
      | 7    |

  Scenario: An invalid statement fails with its error on stderr
    When she runs the snippet "print(undefined_name)"
    Then the run fails with exit code 1
    And the error output mentions "NameError"

  Scenario: Long-running code is followed until it finishes, with all of its output
    When she runs the snippet:
      """
      import time
      print("started")
      time.sleep(2)
      print("done waiting")
      """
    Then the run succeeds
    And the output reads:
      """
      started
      done waiting
      """

  Scenario: A snippet that asks for input receives it
    When she runs the snippet "name = input('Who are you? '); print('hello', name)" answering "Alice"
    Then the output reads "hello Alice"

  Scenario: A long-running snippet can be interrupted
    When she starts the snippet "import time; time.sleep(60)" without waiting for it
    And she interrupts her session
    Then the run fails with exit code 1
    And the error output mentions "KeyboardInterrupt"
