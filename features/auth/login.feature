@auth
Feature: Signing in with a password
  People sign in with their e-mail address and password and receive the keypair that signs
  their API calls. Wrong passwords and deactivated accounts are turned away.

  Background:
    Given Alice, a user in a new project

  @smoke
  Scenario: A user signs in and receives a working keypair
    When Alice signs in with her password
    Then she receives her keypair
    And calls signed with it are recognised

  Scenario: A wrong password is refused
    When Alice tries to sign in with a wrong password
    Then the call is refused as unauthenticated

  Scenario: A deactivated user cannot sign in
    Given Alice's account has been deactivated
    When Alice tries to sign in with her password
    Then the call is refused as unauthenticated

  Scenario: A user learns her roles
    When Alice asks for her roles
    Then she is a "user" globally and a "user" in her domain

  Scenario: I learn my own roles
    When I ask for my roles
    Then I am a "superadmin" globally and an "admin" in my domain
