@sessions
Feature: Sessions from templates
  A session template fixes the image, session type and resources of a session, so starting one
  needs only a name.

  Scenario: An interactive session starts from a template
    When I start a session from the "python_x86" template
    Then the session becomes running
    And the session runs the image "cr.backend.ai/multiarch/python:3.10-ubuntu20.04"

  Scenario: A batch session starts from a template
    When I start a batch session running "echo from the template" from the "python_x86" template
    Then the session ends as terminated because "task-finished"
    And the session's log mentions "from the template"
