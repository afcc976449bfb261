@vfolders
Feature: A folder belongs to its owner
  Nobody reaches another user's folder without an invitation: the manager looks a folder up among
  those the caller may reach, so someone else's folder is unknown to her. Paths inside a folder
  never lead out of it.

  Background:
    Given Alice, a user in a new project
    And she has a folder

  Scenario Outline: A user cannot <action> someone else's folder
    Given Bob, a user in a new project
    When Bob tries to <action> Alice's folder
    Then the call is refused as unknown

    Examples:
      | action               |
      | look at              |
      | rename               |
      | move to the trash    |
      | list the files of    |
      | download a file from |

  Scenario Outline: Listing the directory <path> is refused: it is outside the folder
    When she tries to list the directory "<path>" of her folder
    Then the call is refused as outside the folder

    Examples:
      | path        |
      | ..          |
      | ../..       |
      | a/../../..  |

  Scenario Outline: Creating the directory <path> is refused: it is outside the folder
    When she tries to create the directory "<path>" in her folder
    Then the call is refused as outside the folder

    Examples:
      | path            |
      | ../escaped      |
      | nested/../../up |

  Scenario: Downloading a file from outside the folder is refused
    When she tries to download the file "../../../../etc/passwd" from her folder
    Then the call is refused as outside the folder

  Scenario: Moving a file out of the folder is refused
    Given she has uploaded the files "inside.txt" to her folder
    When she tries to move the file "inside.txt" in her folder to "../../outside.txt"
    Then the call is refused as outside the folder

  Scenario: Uploading a file outside the folder is refused
    When she tries to upload the file "../../escaped.txt" containing "out" to her folder
    Then the call is refused as outside the folder
