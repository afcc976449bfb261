@auth
Feature: Recognising callers by their API keypair
  Every call to the manager is signed with the caller's secret key. The manager recognises a
  correctly signed call, and refuses any call whose signature it cannot verify without saying
  which part was wrong.

  @smoke
  Scenario: A user with a valid keypair is recognised
    When I check my credentials with the manager
    Then the manager recognises me

  Scenario: An access key the manager never issued is refused
    When someone tries to check credentials the manager never issued
    Then the call is refused as unauthenticated

  Scenario: A call whose signature was tampered with is refused
    When I try to check my credentials with a tampered signature
    Then the call is refused as unauthenticated

  Scenario: A call without any signature is refused
    When someone tries to check credentials without signing the call
    Then the call is refused as unauthenticated
