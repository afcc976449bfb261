@vfolders @sessions
Feature: Computing on data kept in a folder
  The everyday data workflow: a user uploads a data file into her folder, runs a computation in a
  session that mounts the folder, and downloads the result the computation wrote there.

  Scenario: Revenue computed in a session from uploaded sales figures is what the figures imply
    Given Alice, a user in a new project
    And she has a folder
    And she has uploaded these sales figures to "sales.csv" in her folder:
      | region | units | unit_price |
      | north  | 12    | 2.50       |
      | south  | 7     | 4.00       |
      | east   | 30    | 1.25       |
      | west   | 0     | 9.99       |
    And she has a running "python" session with her folder mounted by its id at "/home/work/data"
    When she runs the snippet:
      """
      import csv
      from decimal import Decimal
      with open('data/sales.csv') as f:
          rows = list(csv.DictReader(f))
      with open('data/revenue.csv', 'w', newline='') as out:
          w = csv.writer(out)
          w.writerow(['region', 'revenue'])
          for r in rows:
              w.writerow([r['region'], str(Decimal(r['units']) * Decimal(r['unit_price']))])
          w.writerow(['total', str(sum(Decimal(r['units']) * Decimal(r['unit_price']) for r in rows))])
      print('done')
      """
    Then the run succeeds
    And "revenue.csv" downloaded from her folder holds the revenue per region and in total of the sales figures
