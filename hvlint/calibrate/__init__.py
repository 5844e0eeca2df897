"""`hvlint calibrate`: fitting the estimator to a site's own measured live migrations.

- `measurements`: reading the CSV of measured migrations (`read_measurements`, `Measurement`);
- `fitting`: the model's prediction of each row and the least-squares fit (`predict`, `fit`);
- `report`: the table, the fitted keys in TOML form and the errors, as printed;
- `settings_file`: setting the fitted keys in a configuration file, every other byte kept;
- `command`: the command itself (`run`).
"""
