@serving
Feature: A model that cannot start
  When a model's service does not come up, its replicas end in failed_to_start and the service
  lists the errors of their inference sessions until its owner clears them.

  Scenario: A model that fails to start leaves errors its owner can clear
    Given I have a model folder holding a model that fails to start
    When I start serving the model
    Then the service's replica fails to start
    And the service lists the error of its inference session
    When I stop the service's replicas and clear its errors
    Then the service lists no errors
