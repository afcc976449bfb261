@security
Feature: Credentials that no longer count
  A deactivated keypair, and every keypair of a deleted user, is turned away by the manager before
  it looks at the call: whatever she asks for, the answer is that she is not authenticated. (A
  deactivated account can no longer sign in; see signing in with a password.)

  Background:
    Given Alice, a user in a new project

  Scenario Outline: Once <change>, Alice cannot <action>
    When <cause>
    And Alice tries to <action>
    Then the call is refused as unauthenticated

    Examples:
      | change                       | cause                         | action                                |
      | her keypair is deactivated   | I deactivate Alice's keypair  | start an interactive "python" session |
      | her keypair is deactivated   | I deactivate Alice's keypair  | ask for her roles                     |
      | her keypair is deactivated   | I deactivate Alice's keypair  | create a domain                       |
      | her account is deleted       | I delete Alice                | start an interactive "python" session |
      | her account is deleted       | I delete Alice                | ask for her roles                     |
      | her account is deleted       | I delete Alice                | create a domain                       |
