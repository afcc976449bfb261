@vfolders
Feature: Sharing a folder with other users
  The owner of a folder invites other users with a permission: read-only (`ro`) or read-write
  (`rw`). An invitee who accepts sees the folder with that permission and can do what it allows;
  one who rejects does not see it. Administrators share project folders with project members.

  Background:
    Given Alice, a user in a new project
    And she has a folder
    And Bob, a user in a new project

  Scenario Outline: An invitation tells the invitee who invites him to which folder, with <permission> access
    When Alice invites Bob to her folder with the "<permission>" permission
    Then Bob has a pending invitation from Alice to her folder with the "<permission>" permission

    Examples:
      | permission |
      | ro         |
      | rw         |

  @smoke
  Scenario Outline: An invitee who accepts sees the folder with the <permission> permission
    Given Alice has invited Bob to her folder with the "<permission>" permission
    When Bob accepts the invitation
    Then Bob sees Alice's folder with the "<permission>" permission

    Examples:
      | permission |
      | rw         |
      | ro         |

  Scenario Outline: An invitee who rejects a <permission> invitation cannot reach the folder
    Given Alice has invited Bob to her folder with the "<permission>" permission
    When Bob rejects the invitation
    And Bob tries to look at Alice's folder
    Then the call is refused as unknown

    Examples:
      | permission |
      | rw         |
      | ro         |

  Scenario: An invitation cannot be accepted twice
    Given Alice has invited Bob to her folder with the "rw" permission
    And Bob has accepted the invitation
    When Bob tries to accept the invitation again
    Then the call is refused as unknown

  Scenario: Someone who already shares the folder cannot be invited to it again
    Given Alice has shared her folder with Bob with the "rw" permission
    When Alice tries to invite Bob to her folder with the "rw" permission
    Then the call is refused as a duplicate

  Scenario: With read-only access a user reads the shared files
    Given Alice has uploaded the file "data.csv" containing "a,b" to her folder
    And Alice has shared her folder with Bob with the "ro" permission
    Then Bob reads "data.csv" in Alice's folder as "a,b"

  Scenario: With read-only access a user cannot write into the shared folder
    Given Alice has shared her folder with Bob with the "ro" permission
    When Bob tries to upload the file "from-bob.txt" containing "hello" to Alice's folder
    Then the call is refused as unknown

  Scenario: With read-write access a user adds files to the shared folder
    Given Alice has shared her folder with Bob with the "rw" permission
    When Bob uploads the file "from-bob.txt" containing "hello" to Alice's folder
    Then Alice's folder has the file "from-bob.txt" containing "hello"

  Scenario: A user leaves a folder shared with him
    Given Alice has shared her folder with Bob with the "rw" permission
    When Bob leaves Alice's folder
    Then Bob no longer sees Alice's folder

  Scenario: A project folder shared with a member gives him the permission it was shared with
    Given a domain
    And a project in the domain
    And Dana, an admin of the domain
    And Dana has a project folder in the project with the "ro" permission
    And Carl, a user of the domain in that project
    When Dana shares the project folder with Carl with the "rw" permission
    Then Carl sees the project folder with the "rw" permission
    And Dana sees the project folder with the "ro" permission
