@quotas @sessions @slow
Feature: Sessions that outstay their policy are ended
  A keypair resource policy can end a user's sessions for her: one in which no code ran for the
  idle timeout, and any session that has lived for the maximum session lifetime. The manager
  ends them itself and says why.

  Background:
    Given Alice, a user in a new project

  Scenario: A session left idle is ended for its idleness
    Given Alice's keypair ends sessions idle for 3 seconds
    And Alice has a running "python" session
    Then the session ends as terminated because "idle-timeout"

  Scenario: A session past its lifetime is ended, busy or not
    Given Alice's keypair lets a session live for at most 3 seconds
    And Alice has a running "python" session
    Then the session ends as terminated because "idle-session-lifetime"
