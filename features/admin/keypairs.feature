@admin
Feature: Managing keypairs
  A user signs API calls with a keypair. Superadmins issue further keypairs with their own
  options, turn them off and on, tune them, and delete the ones a user no longer needs.

  Background:
    Given Alice, a user in a new project

  Scenario: A superadmin issues a keypair with options
    When I issue Alice a keypair with a rate limit of 5000 and the admin flag
    Then Alice has 2 keypairs
    And the new keypair is active, with a rate limit of 5000 and the admin flag

  Scenario: A deactivated keypair can no longer authenticate
    Given Alice has a second keypair
    When I deactivate Alice's second keypair
    Then calls signed with that keypair are refused as unauthenticated

  Scenario: A reactivated keypair authenticates again
    Given Alice has a second keypair
    And I deactivate Alice's second keypair
    When I reactivate Alice's second keypair
    Then calls signed with that keypair are recognised

  Scenario: A keypair's rate limit can be changed
    Given Alice has a second keypair
    When I set the rate limit of Alice's second keypair to 100
    Then Alice's second keypair has a rate limit of 100

  Scenario: A keypair can move to another resource policy
    Given Alice has a second keypair
    And a keypair resource policy
    When I move Alice's second keypair to that policy
    Then Alice's second keypair follows that policy

  Scenario: A second keypair can be deleted
    Given Alice has a second keypair
    When I delete Alice's second keypair
    Then Alice has 1 keypair

  Scenario: A user's default keypair cannot be deleted
    When I try to delete Alice's default keypair
    Then the call is refused because it is still in use

  Scenario: A user can sign calls with her second keypair
    Given Alice has a second keypair
    When Alice checks her credentials with her second keypair
    Then the manager recognises her

  Scenario: A keypair that exceeds its rate limit is turned away
    Given Alice has a second keypair
    And I set the rate limit of Alice's second keypair to 3
    When Alice tries to make 4 calls with her second keypair
    Then the call is refused as rate limited
