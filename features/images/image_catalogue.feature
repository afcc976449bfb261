@images
Feature: The image catalogue
  Administrators see which kernel images are installed and the minimum resources each one
  declares; sessions asking for less are refused.

  Scenario: An installed image declares its minimum resources
    When I list the installed images
    Then the image "cr.backend.ai/stable/python:3.9-ubuntu20.04" requires at least 1 CPU and 256 MiB of memory
