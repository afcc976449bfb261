@sessions
Feature: The life of a compute session
  A user starts a compute session from a kernel image. The manager schedules it on an agent,
  prepares its container and reports every step until it runs; the user ends it when done.

  Background:
    Given Alice, a user in a new project

  @smoke
  Scenario: An interactive session starts and is destroyed at its owner's request
    When Alice starts an interactive "python" session
    Then the session becomes running
    When she destroys her session
    Then the session ends as terminated because "user-requested"

  Scenario: A running session's history holds only the steps that led to it running
    Given Alice has a running "python" session
    Then the session's status history is "PENDING, SCHEDULED, PREPARING, PULLING, PREPARED, CREATING, RUNNING"

  Scenario: A running session can be renamed
    Given Alice has a running "python" session
    When she gives her session a new name
    Then she finds her session under the new name

  @slow
  Scenario: A session cannot take a name already in use
    Given Alice has two running "python" sessions
    When she tries to rename her latest session to the name of the first one
    Then the call is refused as a duplicate

  Scenario: A bootstrap script prepares the session before it runs
    Given Alice has a running "python" session prepared by the bootstrap script "echo ready > bootstrap.txt"
    Then Alice's session has the file "bootstrap.txt" containing "ready"

  Scenario: An uploaded file can be read by the code in the session
    Given Alice has a running "python" session
    When she uploads the file "data.csv" containing "a,b" to her session
    And she runs the snippet "print(open('data.csv').read())"
    Then the output reads "a,b"

  Scenario: Files a snippet writes can be listed and downloaded
    Given Alice has a running "python" session
    When she runs the snippet "open('result.txt', 'w').write('forty-two')"
    Then Alice's session has the file "result.txt" containing "forty-two"

  Scenario: A request no agent can satisfy waits instead of failing
    When Alice starts a "python" session asking for 64 CPUs
    Then the session stays pending for 1 second
    When she destroys her session
    Then the session ends as cancelled

  Scenario: A creation that waits too long for resources reports a timeout
    When Alice starts a "python" session asking for 64 CPUs and waits at most 1 second for it
    Then the manager answers that it timed out
    And the session is still pending

  Scenario: Starting a session under a name already running gives that session back
    Given Alice has a running "python" session
    When she starts another "python" session with the same name
    Then she gets her existing session back

  Scenario: Destroying one of two sessions leaves the other running
    Given Alice has two running "python" sessions
    When she destroys her first session
    Then Alice's first session is terminated
    And Alice's second session is running

  Scenario: Files in sub-folders of the session can be read back
    Given Alice has a running "python" session
    When she runs the snippet "import os; os.makedirs('out', exist_ok=True); open('out/report.txt', 'w').write('done')"
    Then Alice's session has the file "out/report.txt" containing "done"

  Scenario: An upload can go into a sub-folder of the session
    Given Alice has a running "python" session
    When she uploads the file "input/data.csv" containing "x,y" to her session
    And she runs the snippet "print(open('input/data.csv').read())"
    Then the output reads "x,y"
