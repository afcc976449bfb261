@admin @sessions
Feature: Monthly usage reports
  An administrator reads what each project used in a month: every container that ran, whose it
  was, what it was given and how long it ran.

  Scenario: A session that ran shows in its project's usage for the month
    Given Alice, a user in a new project
    And Alice has a running "python" session
    When she destroys her session
    Then the session ends as terminated
    And this month's usage report lists Alice's session with a running time above zero
