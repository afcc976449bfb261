@admin
Feature: Managing users
  Superadmins create the people who use the platform. Every new user gets a keypair to sign
  API calls with; deleting a user disables it, and purging removes the user for good.

  Background:
    Given a domain

  Scenario Outline: A superadmin creates a <role>, who gets a keypair
    When I create a <role> in the domain
    Then the new user has the role "<role>"
    And the new user has an active default keypair <admin flag>

    Examples:
      | role  | admin flag              |
      | user  | without the admin flag  |
      | admin | with the admin flag     |

  Scenario: A user can be created inactive
    When I create an inactive user in the domain
    Then the new user's status is "inactive"

  Scenario: A user's full name can be changed
    Given Bob, a user of the domain
    When I change Bob's full name to "Robert Jones"
    Then Bob's full name reads "Robert Jones"

  Scenario: Users can be listed by status
    Given Bob, a user of the domain
    And Carol, an inactive user of the domain
    When I list the domain's "inactive" users
    Then the list holds Carol but not Bob

  Scenario: Deleting a user marks them deleted and disables their keypair
    Given Bob, a user of the domain
    When I delete Bob
    Then Bob's status is "deleted"
    And Bob's calls are refused as unauthenticated

  Scenario: A deleted user can be purged
    Given Bob, a user of the domain
    When I delete Bob
    And I purge Bob
    Then Bob no longer exists

  Scenario: A regular user cannot administer users
    Given Bob, a user of the domain
    When Bob tries to create a user in the domain
    Then the call is refused as not permitted
