@admin @quotas
Feature: Managing user and project resource policies
  A user resource policy caps what one person may own (virtual folders, storage, model
  sessions); a project resource policy caps what a project may own (virtual folders, storage,
  networks). Superadmins create, change and delete them.

  Scenario Outline: A superadmin creates a <kind> resource policy
    When I create a <kind> resource policy allowing 5 virtual folders
    Then the <kind> resource policy is listed allowing 5 virtual folders

    Examples:
      | kind    |
      | user    |
      | project |

  Scenario Outline: A <kind> resource policy can be changed
    Given a <kind> resource policy allowing 5 virtual folders
    When I change the <kind> resource policy to allow 10 virtual folders
    Then the <kind> resource policy is listed allowing 10 virtual folders

    Examples:
      | kind    |
      | user    |
      | project |

  Scenario Outline: A <kind> resource policy can be deleted
    Given a <kind> resource policy allowing 5 virtual folders
    When I delete the <kind> resource policy
    Then the <kind> resource policy is no longer listed

    Examples:
      | kind    |
      | user    |
      | project |
