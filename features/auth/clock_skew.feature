@auth
Feature: Signed calls must carry the current time
  The date of a signed call is part of its signature, and the manager refuses calls dated more
  than 15 minutes away from its own clock, so that a captured call cannot be replayed later.

  Scenario Outline: A call from a clock that is <drift> is refused
    Given my clock is <drift>
    When I try to check my credentials with the manager
    Then the call is refused because the clocks are out of sync

    Examples:
      | drift           |
      | 20 minutes slow |
      | 20 minutes fast |

  Scenario: A clock a few minutes off is still accepted
    Given my clock is 5 minutes slow
    When I check my credentials with the manager
    Then the manager recognises me
