@admin @destructive @isolated
Feature: Freezing the manager for maintenance
  A superadmin freezes the manager before maintenance: while it is frozen, calls that need a
  running manager, such as starting a session, are refused for everyone. Unfreezing it lets users
  work again. These scenarios run alone, and the manager is unfrozen after each one in any case.

  Background:
    Given Alice, a user in a new project

  Scenario: A frozen manager turns away a new session
    Given I have frozen the manager for maintenance
    When Alice tries to start an interactive "python" session
    Then the call is refused because the manager is frozen

  Scenario: Once unfrozen, the manager lets users start sessions again
    Given I have frozen the manager for maintenance
    When I unfreeze the manager
    And Alice starts an interactive "python" session
    Then the session becomes running
    And the manager reports that it is running
