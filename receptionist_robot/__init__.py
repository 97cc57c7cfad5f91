"""The receptionist / guide robot: MAVLink v2 over serial, tours, dialogue with Rasa."""
