from multiprocessing import Value

if __name__ == "__main__":
    try:
        Value("x", 0)  # "x" is not a ctypes typecode
    except TypeError as error:
        print(f"Value('x', 0): TypeError: {error}")
