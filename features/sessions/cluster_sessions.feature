@sessions
Feature: Sessions spanning several containers
  When a keypair's policy allows it, one session can run several containers: one main and the
  rest sub containers.

  Background:
    Given Alice, a user in a new project

  Scenario: A session runs several containers when the keypair allows it
    Given Alice's keypair allows 2 containers per session
    When Alice starts a "python" session with 2 containers
    Then the session becomes running
    And the session runs 2 containers: "main, sub"
    And each container keeps its own log
