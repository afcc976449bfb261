@admin @quotas
Feature: Managing keypair resource policies
  A keypair resource policy caps what the holders of a keypair may run at once: concurrent
  sessions, containers per session, idle time, and which storage hosts they may use.

  @smoke
  Scenario: A superadmin creates a keypair resource policy
    When I create a keypair resource policy allowing:
      | concurrent sessions    | 3                               |
      | containers per session | 2                               |
      | idle timeout           | 1800                            |
      | local:volume1          | create-vfolder, mount-in-session |
    Then the policy is listed with:
      | concurrent sessions    | 3                               |
      | containers per session | 2                               |
      | idle timeout           | 1800                            |
      | local:volume1          | create-vfolder, mount-in-session |

  Scenario: A keypair resource policy can be changed
    Given a keypair resource policy
    When I change the policy to allow 5 concurrent sessions
    Then the policy is listed with:
      | concurrent sessions | 5 |

  Scenario: A keypair resource policy can be deleted
    Given a keypair resource policy
    When I delete the policy
    Then the policy no longer exists

  Scenario: A regular user cannot create keypair resource policies
    Given Alice, a user in a new project
    When Alice tries to create a keypair resource policy
    Then the call is refused as not permitted

  Scenario: A policy that a keypair follows cannot be deleted
    Given Alice, a user in a new project
    And Alice has a second keypair
    And a keypair resource policy
    And I move Alice's second keypair to that policy
    When I try to delete the policy
    Then the call is refused because it is still in use
