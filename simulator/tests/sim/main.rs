//! The simulator's one test binary: `run` is reproducible and compares policies sanely; `load`
//! against a real in-process Jedel (SQLite, and PostgreSQL + Redis when present) loses nothing.

mod load;
mod run;
mod support;
