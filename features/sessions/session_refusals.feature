@sessions
Feature: Sessions the manager refuses
  The manager refuses at once a session it can never run, and keeps one user's sessions out of
  another user's reach.

  Background:
    Given Alice, a user in a new project

  Scenario: Memory below the image's minimum is refused
    When Alice tries to start a "python" session with 64 MiB of memory
    Then the call is refused as invalid

  Scenario: More containers than the keypair allows are refused
    When Alice tries to start a "python" session with 3 containers
    Then the call is refused as over quota

  Scenario: An unknown image is refused
    When Alice tries to start a session from the image "cr.backend.ai/stable/no-such-image:1.0"
    Then the call is refused as unknown

  Scenario Outline: A user cannot <action> another user's session
    Given Alice has a running "python" session
    And Bob, a user in a new project
    When Bob tries to <action> Alice's session
    Then the call is refused as unknown
    And Alice's session is still running

    Examples:
      | action        |
      | look at       |
      | rename        |
      | run code in   |
      | destroy       |
