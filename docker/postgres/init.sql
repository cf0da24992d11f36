-- Run once by the postgres image on an empty volume. The `postgres` profile of compose.yml keeps its
-- events and read models in their own database, so switching modes never mixes checkpoints.
CREATE DATABASE segur_pg OWNER segur;
