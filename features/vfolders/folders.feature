@vfolders
Feature: Keeping data in virtual folders
  A user keeps her data in virtual folders on a storage host. She creates them, finds them in her
  list, renames them, and moves them to the trash, from where she restores them or deletes them
  for good; an administrator then purges what is left of them.

  Background:
    Given Alice, a user in a new project

  @smoke
  Scenario: A new folder is ready and listed among the user's folders
    When she creates a folder
    Then her folder is listed among her folders as "ready"

  Scenario Outline: A folder created with the <permission> permission is listed with it
    When she creates a folder with the "<permission>" permission
    Then her folder is listed with the "<permission>" permission

    Examples:
      | permission |
      | rw         |
      | ro         |

  Scenario: A folder can be renamed
    Given she has a folder
    When she renames her folder
    Then her folder is listed under its new name only

  Scenario: Two folders of one user cannot share a name
    Given she has a folder
    When she tries to create another folder with the same name
    Then the call is refused as a duplicate

  Scenario: Two users may each have a folder of the same name and delete their own
    Given she has a folder
    And Bob, a user in a new project
    And he has a folder named like Alice's
    When Alice moves her folder to the trash
    And Bob moves his folder to the trash
    Then Alice's folder is in the trash
    And Bob's folder is in the trash

  Scenario: A folder moved to the trash is still listed, as deleted
    Given she has a folder
    When she moves her folder to the trash
    Then her folder is listed among her folders as "delete-pending"

  Scenario: A folder is restored from the trash
    Given she has a folder in the trash
    When she restores her folder from the trash
    Then her folder is listed among her folders as "ready"

  Scenario: Deleting a folder from the trash removes its data for good
    Given she has a folder in the trash
    When she deletes her folder from the trash
    Then her folder's data is gone

  Scenario: An administrator purges a deleted folder and it is gone
    Given she has a folder in the trash
    When I purge her folder
    Then her folder no longer exists

  Scenario: A folder that is not in the trash cannot be purged
    Given she has a folder
    When I try to purge her folder
    Then the call is refused as not possible in its current state

  Scenario: A user cannot purge her own folder
    Given she has a folder in the trash
    When she tries to purge her folder
    Then the call is refused as not permitted
