@quotas
Feature: A user's own resource policy limits her folders and her sign-ins
  Besides her keypair's limits, each user follows a user resource policy. It caps how many
  virtual folders she may own and how many times she may be signed in at once; asking to end
  her oldest sign-in makes room for a new one.

  Background:
    Given Alice, a user in a new project

  Scenario: A user whose policy allows one folder is refused a second
    Given Alice's user resource policy allows 1 virtual folder
    And Alice has a folder
    When Alice tries to create another folder
    Then the call is refused as over the policy limit

  Scenario: A user limited to one login is refused a second one until she forces it
    Given Alice's user resource policy allows 1 sign-in at a time
    And Alice signs in with her password
    When Alice tries to sign in with her password
    Then the call is refused as over the policy limit
    When Alice signs in with her password, ending her oldest sign-in
    Then she receives her keypair
