-- One database per service, created when the PostgreSQL volume is first initialised.
CREATE DATABASE hockey_hub_user;
CREATE DATABASE hockey_hub_communication;
CREATE DATABASE hockey_hub_calendar;
CREATE DATABASE hockey_hub_training;
CREATE DATABASE hockey_hub_medical;
CREATE DATABASE hockey_hub_planning;
CREATE DATABASE hockey_hub_statistics;
CREATE DATABASE hockey_hub_payment;
CREATE DATABASE hockey_hub_admin;
