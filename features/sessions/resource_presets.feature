@sessions @quotas @isolated
Feature: Which resource presets a user can launch now
  Before starting a session, a user asks which of the manager's resource presets would start now.
  A preset fits when an agent has room for it and it is within what her keypair, project and
  domain still allow; the answer also says what is left for her keypair. These scenarios run
  alone, since any other session takes room on the agents and could make a preset not fit.

  Background:
    Given Alice, a user in a new project

  Scenario: A preset larger than her keypair allows is not allocatable
    Given Alice's keypair allows 2 CPUs and 4 GiB of memory in total
    When she checks which resource presets she can launch
    Then the preset "cpu01-small" is allocatable
    And the preset "cpu02-medium" is not allocatable

  Scenario: A running session leaves her keypair less to launch
    Given Alice's keypair allows 4 CPUs and 8 GiB of memory in total
    And Alice has a running "python" session asking for 2 CPUs
    When she checks which resource presets she can launch
    Then her keypair has 2 CPUs and 7 GiB of memory left
    And the preset "cpu02-medium" is not allocatable
