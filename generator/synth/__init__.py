"""The synthetic-data generator (`registry synth`): candidate events, kept only when `status/` accepts them."""
