@serving
Feature: Serving a model whatever the shape of its replicas
  A model in a model folder is served behind an endpoint. Each replica is an inference session
  of one container, or of several on one node or spread over several nodes. Whatever the shape,
  a private endpoint lets in only the holders of a token, a public one lets in anyone, and the
  replicas scale up and down within what the owner's resource policy allows.

  Background:
    Given Alice, a user in a new project
    And Alice's keypair allows replicas of 3 containers
    And she has a model folder holding the echo model

  Scenario Outline: A private endpoint refuses anonymous callers (<topology>)
    Given she serves the model on <topology>
    When an anonymous caller asks the endpoint for its health
    Then the endpoint refuses the caller as unauthenticated

    Examples:
      | topology                       |
      | a single container             |
      | 3 containers on one node       |
      | 3 containers on separate nodes |

  Scenario Outline: A public endpoint answers anyone (<topology>)
    Given she serves the model publicly on <topology>
    When an anonymous caller asks the endpoint for its health
    Then the endpoint answers that it is healthy

    Examples:
      | topology                       |
      | a single container             |
      | 3 containers on one node       |
      | 3 containers on separate nodes |

  Scenario Outline: A token of the service opens its private endpoint (<topology>)
    Given she serves the model on <topology>
    And she has a token for the service valid for 1 hour
    When a caller with the token asks the endpoint for its health
    Then the endpoint answers that it is healthy

    Examples:
      | topology                       |
      | a single container             |
      | 3 containers on one node       |
      | 3 containers on separate nodes |

  Scenario Outline: The replicas scale up and down (<topology>)
    Given she serves the model on <topology>
    When she scales the service to 2 replicas
    Then the service runs 2 replicas
    When she scales the service to 1 replica
    Then the service runs 1 replica

    Examples:
      | topology                       |
      | a single container             |

    # Two replicas of 3 containers take most of the cluster: two such scale-ups side by side
    # could each hold one agent and wait for the other's.
    @exclusive:capacity
    Examples:
      | topology                       |
      | 3 containers on one node       |
      | 3 containers on separate nodes |

  Scenario Outline: Scaling beyond what the owner's policy allows is refused (<topology>)
    Given she serves the model on <topology>
    When she tries to scale the service to one replica more than her resource policy allows
    Then the call is refused as over the policy limit
    And the service runs 1 replica

    Examples:
      | topology                       |
      | a single container             |
      | 3 containers on one node       |
      | 3 containers on separate nodes |
