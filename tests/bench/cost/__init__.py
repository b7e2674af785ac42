"""What a click costs on AWS, from the units the real code uses: DynamoDB request units by DynamoDB's
own size rules (units.py), a recorder of every DynamoDB request the code makes (recorder.py), the
prices in one table (prices.py) and the bill per million clicks (bill.py). The benchmark that drives
the real functions is tests/bench/cost_bench.py."""
