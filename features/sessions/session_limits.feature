@sessions @quotas
Feature: How many sessions a keypair may run at once
  A keypair resource policy caps how many sessions one keypair runs at the same time. A session
  asked for beyond the cap is not refused: it waits, PENDING, until one of the others ends.

  Background:
    Given Alice, a user in a new project

  @slow
  Scenario: A keypair allowed one session at a time keeps the second one waiting
    Given Alice's keypair allows 1 concurrent session
    And Alice has a running "python" session
    When Alice starts an interactive "python" session
    Then the session stays pending for 2 seconds
