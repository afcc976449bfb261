@admin @sessions @isolated
Feature: The cluster's free capacity
  An administrator watches the agents: what each has, and what the sessions placed on it hold.
  The free capacity goes down by what a session asked for while it runs, and comes back when it
  ends. These scenarios run alone, since any other session would change the figures.

  Background:
    Given Alice, a user in a new project

  Scenario: A running session takes its share of the agents' capacity
    Given I have noted the agents' free capacity
    When Alice starts a "python" session asking for 2 CPUs
    Then the session becomes running
    And the agents have 2 CPUs and 1 GiB of memory less free than before

  Scenario: The capacity comes back when the session ends
    Given Alice has a running "python" session asking for 2 CPUs
    And I have noted the agents' free capacity
    When she destroys her session
    Then the agents have 2 CPUs and 1 GiB of memory more free than before
