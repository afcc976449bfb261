@vfolders
Feature: Moving large files in and out of a folder
  Files go up to the storage proxy in chunks that can be resumed, and come down streamed; what
  comes down is byte for byte what went up.

  Background:
    Given Alice, a user in a new project
    And she has a folder

  @slow
  Scenario: A large file makes the round trip unchanged
    When she uploads a 48 MiB file of random bytes to her folder
    And she downloads that file from her folder
    Then the download is byte for byte the file she uploaded

  Scenario: An upload that breaks off resumes where the storage proxy stopped
    When she uploads a 12 MiB file of random bytes to her folder, the transfer breaking off after 5 MiB
    Then the upload resumed once, from the offset the storage proxy reported
    And her folder's copy of that file is byte for byte the file she uploaded

  Scenario: An empty file can be uploaded and downloaded
    When she uploads a 0 KiB file of random bytes to her folder
    And she downloads that file from her folder
    Then the download is byte for byte the file she uploaded
