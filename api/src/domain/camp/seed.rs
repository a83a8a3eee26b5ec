//! Demo data of the camps (filled in below).
