@sessions
Feature: Running code through the live stream
  Command-line clients run code over a live stream to the session instead of asking for output
  again and again: the output arrives as it is printed, and the stream closes when the code ends.

  Background:
    Given Alice, a user in a new project
    And Alice has a running "python" session

  @smoke
  Scenario: Printed output comes back through the live stream
    When she runs the snippet "print(6*7)" through the live stream
    Then the run succeeds
    And the output reads "42"

  Scenario: A program's exit code comes back through the live stream
    When she runs the snippet "import sys; sys.exit(3)" through the live stream
    Then the run fails with exit code 3

  Scenario: A snippet that asks for input receives it through the live stream
    When she runs the snippet "name = input('Who are you? '); print('hello', name)" through the live stream answering "Alice"
    Then the output reads "hello Alice"
