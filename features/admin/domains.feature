@admin
Feature: Managing domains
  A superadmin partitions the platform into domains. A domain carries a resource quota and the
  storage hosts its users may use; it can be deactivated, and purged once nothing is left in it.

  @smoke
  Scenario: A superadmin creates a domain
    When I create a domain
    Then the domain is listed among the domains
    And the domain is active

  Scenario: A domain can start out inactive
    When I create an inactive domain
    Then the domain is inactive

  Scenario: A domain carries a resource quota
    When I create a domain with the resource quota:
      | cpu | 4  |
      | mem | 8g |
    Then the domain's resource quota is:
      | cpu | 4          |
      | mem | 8589934592 |

  Scenario: A domain names the storage hosts its users may use
    When I create a domain whose users may "create-vfolder, upload-file" on "local:volume1"
    Then the domain allows "create-vfolder, upload-file" on "local:volume1"

  Scenario: A domain's description can be changed
    Given a domain
    When I change the domain's description to "Research group"
    Then the domain's description reads "Research group"

  Scenario: A domain can be renamed
    Given a domain
    When I rename the domain
    Then the domain is listed under its new name only

  Scenario: Deleting a domain deactivates it
    Given a domain
    When I delete the domain
    Then the domain is inactive

  Scenario: An empty domain can be purged
    Given a domain
    When I purge the domain
    Then the domain no longer exists

  Scenario Outline: A domain cannot be purged while it still has <dependants>
    Given a domain with <dependants>
    When I try to purge the domain
    Then the call is refused because it is still in use

    Examples:
      | dependants |
      | users      |
      | projects   |

  Scenario: Domain names are unique
    Given a domain
    When I try to create another domain with the same name
    Then the call is refused as a duplicate

  Scenario: A regular user cannot create domains
    Given Alice, a user in a new project
    When Alice tries to create a domain
    Then the call is refused as not permitted

  Scenario: A domain cannot take the name of another domain
    Given a domain
    And another domain
    When I try to rename the domain to the other domain's name
    Then the call is refused as a duplicate
    And both domains keep their names
