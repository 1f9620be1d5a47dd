DROP TABLE us_methods;
