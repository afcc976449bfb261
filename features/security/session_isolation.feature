@security @sessions
Feature: Whose sessions one can reach
  A session belongs to the keypair that started it. Signing as themselves, others find nothing
  under its id on the session routes: not a member of the same project, not an administrator, not
  even the superadmin (administrators see it only in the admin listings of their scope).
  Administrators reach a user's session only by acting on her behalf, and only where the manager
  allows it: the superadmin for anyone, a domain admin for the users of her own domain.

  Background:
    Given a domain
    And two projects in the domain
    And Alice, a user of the domain in the first project
    And Bob, a user of the domain in the first project
    And Carol, a user of the domain in the second project
    And Dana, an admin of the domain
    And Mona, a monitor of the domain
    And Erin, an admin of another domain
    And Alice has a running "python" session

  Rule: Signing as oneself, only the owner reaches her session

    Scenario: The owner reaches her own session
      When Alice reads the logs of Alice's session
      And Alice lists the files of Alice's session
      And Alice looks at Alice's session
      Then Alice's session is still running

    Scenario Outline: <who> cannot <action> Alice's session
      When <actor> tries to <action> Alice's session
      Then the call is refused as unknown
      And Alice's session is still running

      Examples: a user of the same project
        | who | actor | action            |
        | Bob | Bob   | look at           |
        | Bob | Bob   | read the logs of  |
        | Bob | Bob   | run code in       |
        | Bob | Bob   | rename            |
        | Bob | Bob   | destroy           |
        | Bob | Bob   | list the files of |

      Examples: a user of another project
        | who   | actor | action            |
        | Carol | Carol | look at           |
        | Carol | Carol | read the logs of  |
        | Carol | Carol | run code in       |
        | Carol | Carol | rename            |
        | Carol | Carol | destroy           |
        | Carol | Carol | list the files of |

      Examples: the domain's admin, as herself
        | who  | actor | action            |
        | Dana | Dana  | read the logs of  |
        | Dana | Dana  | run code in       |
        | Dana | Dana  | rename            |
        | Dana | Dana  | destroy           |
        | Dana | Dana  | list the files of |

      Examples: another domain's admin, as herself
        | who  | actor | action            |
        | Erin | Erin  | look at           |
        | Erin | Erin  | read the logs of  |
        | Erin | Erin  | run code in       |
        | Erin | Erin  | destroy           |

      Examples: the domain's monitor
        | who  | actor | action            |
        | Mona | Mona  | read the logs of  |
        | Mona | Mona  | run code in       |
        | Mona | Mona  | destroy           |

      Examples: the superadmin, as herself
        | who            | actor | action            |
        | The superadmin | I     | read the logs of  |
        | The superadmin | I     | run code in       |
        | The superadmin | I     | rename            |
        | The superadmin | I     | destroy           |
        | The superadmin | I     | list the files of |

  Rule: Acting on the owner's behalf is for the superadmin and the admins of the owner's domain

    Scenario Outline: <who> may not act on Alice's behalf
      When <actor> tries to <action> Alice's session on her behalf
      Then the call is refused as not permitted
      And Alice's session is still running

      Examples:
        | who                       | actor | action           |
        | A user of the project     | Bob   | read the logs of |
        | A user of the project     | Bob   | destroy          |
        | A user of another project | Carol | destroy          |
        | The domain's monitor      | Mona  | read the logs of |
        | The domain's monitor      | Mona  | destroy          |
        | Another domain's admin    | Erin  | read the logs of |
        | Another domain's admin    | Erin  | destroy          |

    Scenario Outline: <who> ends Alice's session on her behalf
      When <actor> destroys Alice's session on her behalf
      Then the session ends as terminated because "force-terminated"

      Examples:
        | who                | actor |
        | The domain's admin | Dana  |
        | The superadmin     | I     |

    Scenario: The domain's admin reads Alice's session log on her behalf
      When Dana reads the logs of Alice's session on her behalf
      Then Alice's session is still running

    Scenario: A domain admin may not act on the superadmin's behalf
      Given I have a running "python" session
      When Dana tries to read the logs of my session on my behalf
      Then the call is refused as not permitted

    Scenario: Acting for a keypair the manager never issued is invalid
      When Dana tries to read the logs of Alice's session on behalf of a keypair the manager never issued
      Then the call is refused as invalid
