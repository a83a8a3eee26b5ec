//! Renewal of registrations: three-year cycles, their deadlines and (to come) training
//! requirements, deemed attendance and reminders.

pub mod cycle;
