"""Starting the product: secrets, the database, the NLU service (Rasa) and the bot."""
