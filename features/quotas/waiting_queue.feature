@quotas @sessions
Feature: How much may wait in a user's queue
  Sessions that cannot run yet wait in a queue, PENDING. A keypair resource policy bounds that
  queue: how many sessions may wait, and how many resources they may ask for together. A session
  beyond either bound is refused at once, as over quota.

  Background:
    Given Alice, a user in a new project

  Scenario: The waiting sessions' CPUs are capped
    Given Alice's keypair allows 1 concurrent session and 1 CPU for waiting sessions
    And Alice has a running "python" session asking for 1 CPU
    When Alice tries to start a "python" session asking for 2 CPUs
    Then the call is refused as over quota

  Scenario: Within the cap, a session waits
    Given Alice's keypair allows 1 concurrent session and 2 CPUs for waiting sessions
    And Alice has a running "python" session asking for 1 CPU
    When Alice starts a "python" session asking for 2 CPUs
    Then the scheduler keeps the session waiting because "You cannot run more than 1 concurrent sessions"
