print("clickstream")
