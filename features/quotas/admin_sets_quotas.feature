@quotas @slow
Feature: An administrator sets a new user's quotas and raises them when she needs more
  A superadmin gives a new user a keypair resource policy. When one of her sessions would break
  a limit, the manager either refuses it at once (a queue of waiting sessions that is full) or
  keeps it waiting, PENDING, and the scheduling history tells the administrator why. Raising the
  limit lets her carry on without asking again.

  Background:
    Given Alice, a user in a new project

  Rule: A session beyond the running limits waits until the administrator raises them

    Scenario: A second session waits for the concurrency limit, and runs once it is raised
      Given Alice's keypair allows 1 concurrent session
      And Alice has a running "python" session
      When Alice starts an interactive "python" session
      Then the scheduler keeps the session waiting because "You cannot run more than 1 concurrent sessions"
      When I raise Alice's limit to 2 concurrent sessions
      Then the session becomes running

    Scenario: A session that would take her over her total CPUs waits, and runs once the quota is raised
      Given Alice's keypair allows 2 CPUs and 4 GiB of memory in total
      And Alice has a running "python" session asking for 1 CPU
      When Alice starts a "python" session asking for 2 CPUs
      Then the scheduler keeps the session waiting because "Your default-keypair resource quota is exceeded."
      And the scheduler keeps the session waiting because "cpu: used 1 + requested 2 > limit 2 (over by 1)"
      When I raise Alice's limit to 4 CPUs and 8 GiB of memory in total
      Then the session becomes running

  Rule: A full queue of waiting sessions refuses one more at once

    Scenario: One waiting session too many is refused, and accepted once the queue is longer
      Given Alice's keypair allows 1 concurrent session and 1 waiting session
      And Alice has a running "python" session
      And Alice starts an interactive "python" session
      When Alice tries to start an interactive "python" session
      Then the call is refused as over quota
      When I raise Alice's limit to 2 waiting sessions
      And Alice starts an interactive "python" session
      Then the session stays pending for 1 second
