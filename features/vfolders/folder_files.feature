@vfolders
Feature: Files in a virtual folder
  The files of a folder go up and down through the storage proxy; the manager lists them and
  renames, moves and deletes them, and makes directories.

  Background:
    Given Alice, a user in a new project
    And she has a folder

  @smoke
  Scenario: Uploaded files are listed in the folder
    When she uploads the files "test_1.txt, test_2.txt, test_3.txt" to her folder
    Then her folder holds exactly the files "test_1.txt, test_2.txt, test_3.txt"

  Scenario: Uploaded files download with the content that went up
    Given she has uploaded the files "test_1.txt, test_2.txt, nested/inner.txt" to her folder
    When she downloads the files "test_1.txt, test_2.txt, nested/inner.txt" from her folder
    Then each download has the content that was uploaded

  Scenario: A file can be renamed
    Given she has uploaded the files "file.txt" to her folder
    When she renames the file "file.txt" in her folder to "renamed_file.txt"
    Then her folder holds exactly the files "renamed_file.txt"

  Scenario: A file can be moved into a directory
    Given she has uploaded the files "file.txt" to her folder
    And she has created the directory "folder" in her folder
    When she moves the file "file.txt" in her folder to "folder/file.txt"
    Then her folder holds exactly the files "folder/file.txt"

  Scenario: Some files can be deleted and the others stay
    Given she has uploaded the files "test_1.txt, test_2.txt, test_3.txt" to her folder
    When she deletes the files "test_1.txt, test_2.txt" from her folder
    Then her folder holds exactly the files "test_3.txt"

  Scenario: A directory is deleted with everything in it
    Given she has uploaded the files "keep.txt, nested/test_1.txt, nested/test_2.txt, nested/inner_nested/test_3.txt" to her folder
    When she deletes the directory "nested" with everything in it from her folder
    Then her folder holds exactly the files "keep.txt"

  Scenario: A directory is created
    When she creates the directory "tmp" in her folder
    Then her folder has the directory "tmp"

  Scenario: Creating a directory that exists succeeds when she allows it
    Given she has created the directory "tmp" in her folder
    When she creates the directory "tmp" in her folder, even if it exists
    Then her folder has the directory "tmp"

  Scenario: A nested directory is created with its parents
    When she creates the directory "test/dir" and its parents in her folder
    Then her folder has the directory "test/dir"

  Scenario Outline: A file uploaded to <path> lands in its directories, which the upload creates
    When she uploads the file "<path>" containing "deep" to her folder
    Then her folder has the file "<path>" containing "deep"
    And her folder has the directory "<directory>"

    Examples:
      | path                  | directory   |
      | a/data.txt            | a           |
      | a/b/c/d/data.txt      | a/b/c/d     |
      | results/2026/q4.csv   | results/2026 |

  Scenario: A cloneable folder is cloned with all its files
    Given she has a cloneable folder
    And she has uploaded the files "test_1.txt, test_2.txt, nested/test_3.txt" to her folder
    When she clones her folder
    Then the clone holds the same files as her folder
