@vfolders @sessions
Feature: Folders mounted in compute sessions
  A session mounts the folders its owner names when she starts it; code in the session reads and
  writes their files, and the files stay in the folder after the session ends. A folder in use by
  a session stays out of the trash.

  Background:
    Given Alice, a user in a new project
    And she has a folder

  Scenario Outline: A file of the folder is readable in a session that mounts it <how>
    Given she has uploaded the file "hello.txt" containing "hi from the folder" to her folder
    And she has a running "python" session with her folder mounted <how> at "/home/work/data"
    When she runs the snippet "print(open('data/hello.txt').read())"
    Then the output reads "hi from the folder"

    Examples:
      | how         |
      | by its id   |
      | by its name |

  Scenario: A file the session writes stays in the folder
    Given she has a running "python" session with her folder mounted by its id at "/home/work/data"
    When she runs the snippet "open('data/made-in-session.txt', 'w').write('written by code')"
    Then her folder has the file "made-in-session.txt" containing "written by code"

  Scenario: A folder mounted in a running session cannot be moved to the trash
    Given she has a running "python" session with her folder mounted
    When she tries to move her folder to the trash
    Then the call is refused because it is still in use
