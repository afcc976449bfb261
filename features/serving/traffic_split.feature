# Against a real manager: at the pinned Backend.AI commit the app proxy's coordinator does not
# take the manager's traffic ratios yet (it gives every route 1.0, "planned" in
# appproxy/coordinator/repositories/endpoint.py), so these scenarios describe the documented
# behaviour that such a target does not deliver.
@serving
Feature: Splitting an endpoint's traffic between its replicas
  Every route from the endpoint to a replica has a traffic ratio. The endpoint shares the
  requests out among the routes by their ratios, and a route whose ratio is 0 gets none.

  Background:
    Given I have a model folder holding the echo model
    And I serve the model publicly with 2 replicas

  Scenario: A route with ratio 0 gets no requests
    When I set the traffic ratios of the service's routes to 1 and 0
    Then 10 calls to the endpoint are all answered by the first replica

  Scenario: Moving the whole ratio to the other route moves every request there
    Given the traffic ratios of the service's routes are 1 and 0
    When I set the traffic ratios of the service's routes to 0 and 1
    Then 10 calls to the endpoint are all answered by the second replica
